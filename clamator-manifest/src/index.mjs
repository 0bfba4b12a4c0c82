export { ManifestError } from './errors.mjs';
export { contractFiles, loadContracts, loadSources } from './load.mjs';
export {
  buildManifest,
  buildManifestWithTyping,
  LOWERING_OPTIONS,
  lower,
  renderManifest,
  sha256,
  writeAtomically,
} from './manifest.mjs';
export { defineContract, defineMethod, defineNotification } from './protocol.mjs';
export { contractWarnings, jsonWarnings } from './warnings.mjs';
export { DEFINITIONS, expand, UNKNOWN_KEYS } from './typing.mjs';

import { version } from './version.mjs';

export const DEFAULT_GENERATED_BY = `clamator-manifest v${version}`;
