// Tiny DOM helpers. Text only ever goes in through textContent / attributes, never innerHTML.

type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** A real button with an accessible name; icon-only buttons carry the name as aria-label and title. */
export function iconButton(action: string, label: string, iconName: string, withText = false): HTMLButtonElement {
  const button = h('button', { type: 'button', class: withText ? 'button' : 'icon-button', 'data-action': action, title: label });
  button.append(icon(iconName));
  if (withText) button.append(h('span', { text: label }));
  else button.setAttribute('aria-label', label);
  return button;
}

/**
 * An icon button that toggles (aria-pressed), named `label` whatever its state; `note`, when given, is
 * its tooltip instead of the name (e.g. what being pressed means).
 */
export function toggleButton(action: string, label: string, pressed: boolean, iconName: string, note?: string): HTMLButtonElement {
  const button = iconButton(action, label, iconName);
  button.classList.add('toggle');
  button.setAttribute('aria-pressed', String(pressed));
  if (note) button.title = note;
  return button;
}

/**
 * Runs `then` once the page has loaded (now, if it has). VS Code keeps a webview hidden until its `load` event,
 * which waits for every image and stylesheet the page has asked for by then.
 */
export function whenLoaded(then: () => void): void {
  if (document.readyState === 'complete') then();
  else window.addEventListener('load', then, { once: true });
}

/** Runs `then` once the next frame has been painted (a task queued from that frame's animation callbacks). */
export function afterNextPaint(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then, 0));
}
