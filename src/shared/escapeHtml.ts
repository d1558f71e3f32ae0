// HTML escaping for text we put into markup we build as strings (the gallery's page shell, image
// snippets for HTML-like documents). Free of Node and DOM APIs.

/** For attribute values in double quotes. */
export function escapeHtmlAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For text content. */
export function escapeHtmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
