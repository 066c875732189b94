// A copy of the services and packages as they are when a run starts, which the drill and the e2e
// benchmark run their services from: a service restarted twenty minutes into a run must load the
// same code as at the start, even while the working tree is being edited.
import { cp, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

// Test and build caches; the copy needs none of them.
const skipped = new Set(['.cache', '.vite', '.vite-temp', '.vitest-cache', '.pnpm']);

/**
 * Copies `packages/`, `services/`, the root package.json and the root node_modules links into
 * `destination`. Workspace links stay relative, so they point into the copy; the package store
 * (`node_modules/.pnpm`) is linked, not copied.
 */
export async function snapshotCode(options: { root: string; destination: string }): Promise<void> {
  const { root, destination } = options;
  await mkdir(destination, { recursive: true });
  const copy = (path: string) =>
    cp(join(root, path), join(destination, path), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => !skipped.has(source.split('/').at(-1) ?? ''),
    });
  await Promise.all([copy('packages'), copy('services'), copy('package.json'), copy('node_modules')]);
  await symlink(join(root, 'node_modules', '.pnpm'), join(destination, 'node_modules', '.pnpm'));
}
