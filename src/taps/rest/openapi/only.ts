/** `--only PATTERN`: comma-separated globs (`*` any run of characters) matched against a resource's name or its path. */
export function onlyMatcher(pattern: string): (name: string, path: string) => boolean {
  const globs = pattern.split(',').map((g) => g.trim()).filter(Boolean).map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'));
  return (name, path) => globs.some((re) => re.test(name) || re.test(path));
}
