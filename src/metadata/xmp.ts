// The XMP packet that carries the generation record in all three formats (PNG iTXt, JPEG APP1, WebP "XMP ").
//
// Vocabulary (kept small and standard where a standard property exists):
//   dc:description (x-default)  the prompt            — what photo tools show as "Description"/"Caption"
//   xmp:CreatorTool             "Flux Studio <version>"
//   xmp:CreateDate              ISO 8601 creation time
//   fluxstudio:*                everything else (model, seed, aspectRatio, raw, imagePrompt,
//                               imagePromptStrength, outputFormat, outputQuality, jobId), in the namespace
//                               FLUX_STUDIO_NS below; exiftool shows them as XMP-fluxstudio:Model etc.
// Only packets that declare FLUX_STUDIO_NS are read back.
import { GenerationRecord, parseRecordFields, recordFields } from './record';

export const FLUX_STUDIO_NS = 'urn:flux-studio:generation:1.0/';

/**
 * Text as XML 1.0 (and so XMP, PNG text and EXIF) can carry it: C0 controls other than tab, LF and CR,
 * unpaired surrogates and U+FFFE/U+FFFF have no representation in XML 1.0, not even as character references,
 * so they become U+FFFD. Everything else — emoji, Korean, bidi marks, C1 controls — is kept exactly.
 */
export function portableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Element text; CR as a character reference because XML parsers turn a literal CR into LF. */
function xmlText(text: string): string {
  return portableText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function buildXmpPacket(record: GenerationRecord, software: string): string {
  const properties = [
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(record.prompt)}</rdf:li></rdf:Alt></dc:description>`,
    `<xmp:CreatorTool>${xmlText(software)}</xmp:CreatorTool>`,
    ...(record.createdAt === undefined ? [] : [`<xmp:CreateDate>${xmlText(record.createdAt)}</xmp:CreateDate>`]),
    ...recordFields(record).map(([name, value]) => `<fluxstudio:${name}>${xmlText(value)}</fluxstudio:${name}>`),
  ];
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` xmlns:fluxstudio="${FLUX_STUDIO_NS}">`,
    ...properties.map((property) => ` ${property}`),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/** Whether an XMP packet is one Flux Studio wrote (and may replace). */
export function isOurPacket(packet: string): boolean {
  return packet.includes(FLUX_STUDIO_NS);
}

/** The record in a packet Flux Studio wrote, or undefined for any other packet. Tolerates single or double quotes. */
export function parseXmpPacket(packet: string): GenerationRecord | undefined {
  const prefix = /xmlns:([A-Za-z_][\w.-]*)=["']([^"']*)["']/g;
  const ours = [...packet.matchAll(prefix)].find((match) => match[2] === FLUX_STUDIO_NS)?.[1];
  if (ours === undefined) return undefined;
  const escaped = ours.replace(/[.-]/g, '\\$&');
  const fields = new Map<string, string>();
  for (const match of packet.matchAll(new RegExp(`<${escaped}:(\\w+)>([^<]*)</${escaped}:\\1>`, 'g'))) {
    fields.set(match[1], unescapeXml(match[2]));
  }
  const description = /<dc:description>\s*<rdf:Alt>\s*<rdf:li xml:lang=["']x-default["']>([^<]*)<\/rdf:li>/.exec(packet)?.[1];
  const createdAt = /<xmp:CreateDate>([^<]*)<\/xmp:CreateDate>/.exec(packet)?.[1];
  return parseRecordFields(fields, description === undefined ? undefined : unescapeXml(description), createdAt === undefined ? undefined : unescapeXml(createdAt));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  // XML end-of-line handling first (literal CR LF / CR → LF), then references, which may produce a real CR.
  return text.replace(/\r\n?/g, '\n').replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (!name.startsWith('#')) return NAMED_ENTITIES[name];
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
