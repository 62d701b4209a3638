import { duplicateFiles } from './duplicateFiles.js';
import { emptyPassword } from './emptyPassword.js';
import { entrypointRunnable } from './entrypointRunnable.js';
import { packageCache } from './packageCache.js';
import { rootUser } from './rootUser.js';
import { secretFiles } from './secretFiles.js';
import { setuidSetgid } from './setuidSetgid.js';
import { shellFormOnScratch } from './shellFormOnScratch.js';
import type { Rule } from './support/types.js';
import { unpinnedBase } from './unpinnedBase.js';
import { userNotFound } from './userNotFound.js';
import { worldWritable } from './worldWritable.js';

/** Every rule fathom knows, in the order reports list them. */
export const RULES: readonly Rule[] = [
  entrypointRunnable,
  shellFormOnScratch,
  userNotFound,
  rootUser,
  setuidSetgid,
  unpinnedBase,
  secretFiles,
  emptyPassword,
  worldWritable,
  packageCache,
  duplicateFiles,
];
