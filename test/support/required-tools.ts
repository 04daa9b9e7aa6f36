/**
 * The real clients partners use are part of these tests (the developers' guide: real components
 * where users have them), so a missing one fails the file with what to install instead of
 * skipping it: a skipped test would count as passing. `.ci/run` installs them on a clean machine.
 */
export function requireTool(available: boolean, tool: string, debianPackage: string): void {
  if (!available)
    throw new Error(`${tool} is not installed: install the Debian package ${debianPackage} (.ci/run does when it is missing)`);
}
