import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Templates, migrations and static files are found from here, whatever the working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
