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
 * from allowed hosts and bounded in time (port). `open` checks the URL and the answer's headers and returns the body
 * as a stream, which the caller streams into the FileStore with the declared size as its limit and the declared
 * SHA-256 as its address (the store checks both while the bytes flow; the file is never held whole). A failure
 * while the body streams (time limit, broken connection) errors the stream with a DocumentFetchError. Throws
 * DocumentFetchError when the URL or the answer is refused.
 */
export abstract class DocumentSource {
  abstract open(url: string, expected: { sha256: string; sizeBytes: number }): Promise<NodeJS.ReadableStream>;
}
