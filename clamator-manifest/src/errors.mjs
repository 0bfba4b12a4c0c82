/** A failure the user can act on: printed without a stack, exit code 1. */
export class ManifestError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ManifestError';
  }
}
