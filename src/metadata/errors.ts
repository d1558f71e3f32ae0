// Why a file could not carry the generation record. The image itself is never touched when this is thrown:
// callers keep the file as it was (a paid result is never lost over metadata).

export type MetadataErrorKind =
  /** Not a PNG, JPEG or WebP file. */
  | 'notAnImage'
  /** The file ends early (a cut download, a partial copy). */
  | 'truncated'
  /** The structure contradicts itself: lengths that run past the end, missing required parts, too many parts. */
  | 'malformed'
  /** The file is above the size cap, or the record does not fit the format's metadata block. */
  | 'tooLarge';

export class MetadataError extends Error {
  constructor(
    readonly kind: MetadataErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'MetadataError';
  }
}

export function malformed(format: string, what: string): MetadataError {
  return new MetadataError('malformed', `The ${format} file is damaged (${what}), so its generation details were not added.`);
}
