export { ManifestError } from './errors.mjs';
export { contractFiles, loadContracts } from './load.mjs';
export {
  buildManifest,
  LOWERING_OPTIONS,
  lower,
  renderManifest,
  sha256,
  writeAtomically,
} from './manifest.mjs';
export { defineContract, defineMethod, defineNotification } from './protocol.mjs';
export { contractWarnings, jsonWarnings } from './warnings.mjs';

import { version } from './version.mjs';

export const DEFAULT_GENERATED_BY = `clamator-manifest v${version}`;
