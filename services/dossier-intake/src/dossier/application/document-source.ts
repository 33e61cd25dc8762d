/** Why a document given as a URL could not be taken; `code` is the field error's code. */
export class DocumentFetchError extends Error {
  constructor(
    /**
     * `URL_INVALID`, `URL_SCHEME_NOT_ALLOWED`, `URL_CREDENTIALS`, `URL_HOST_NOT_ALLOWED`, `URL_UNRESOLVABLE`,
     * `URL_ADDRESS_FORBIDDEN`, `URL_REDIRECT_NOT_FOLLOWED`, `URL_FETCH_FAILED`, `URL_FETCH_TIMEOUT`,
     * `URL_TOO_LARGE`, `SIZE_MISMATCH`, `SHA256_MISMATCH`.
     */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentFetchError';
  }
}

/**
 * Fetches a document the intake system gives as a URL instead of uploading it (intake-api.md `documents[]`), only
 * from allowed hosts, bounded in time and size, and returns its bytes once they have the declared size and SHA-256
 * (port). Throws DocumentFetchError otherwise.
 */
export abstract class DocumentSource {
  abstract fetch(url: string, expected: { sha256: string; sizeBytes: number }): Promise<Buffer>;
}
