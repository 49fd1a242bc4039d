/** `Open-Issues` → `open_issues`; camelCase split (`pullRequests` → `pull_requests`); the kit's stream name rule `[a-z0-9_]+`. */
export function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
}

/** A setting name for a parameter (`repo-name` → `repo_name`): what `{config.NAME}` takes. */
export function settingName(s: string): string {
  const n = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'value';
  return /^[0-9]/.test(n) ? `p_${n}` : n;
}

function staticSegments(path: string): string[] {
  return path.split('/').filter((s) => s && !s.includes('{')).map(snake).filter(Boolean);
}

/**
 * A resource name per path: its last static segment (`/users/{id}/repos` → `repos`); when two paths
 * share it, more segments from the end until they differ (`users_repos`, `orgs_repos`); the rest by
 * their full path; a version prefix (`v1`, `api`) never counts.
 */
export function resourceNames(paths: string[]): Map<string, string> {
  const segs = new Map(paths.map((p) => [p, staticSegments(p).filter((s, i, all) => !(i < all.length - 1 && /^(v\d+(_\d+)*|api|rest)$/.test(s)))]));
  const out = new Map<string, string>();
  const nameOf = (p: string, n: number) => {
    const s = segs.get(p) as string[];
    const base = s.slice(Math.max(0, s.length - n)).join('_') || 'root';
    // A path ending in a placeholder reads one entity per value: `/users/{id}/repos/{repo}` → `repos_by_repo`.
    const tail = p.split('/').filter(Boolean).at(-1) ?? '';
    return tail.includes('{') ? `${base}_by_${snake(tail.replace(/[{}]/g, ''))}` : base;
  };
  let pending = [...paths];
  for (let n = 1; pending.length && n <= 8; n++) {
    const counts = new Map<string, number>();
    for (const p of [...pending, ...[...out.keys()]]) {
      const name = out.get(p) ?? nameOf(p, n);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    pending = pending.filter((p) => {
      const name = nameOf(p, n);
      if ((counts.get(name) ?? 0) > 1) return true;
      out.set(p, name);
      return false;
    });
  }
  const taken = new Set(out.values());
  for (const p of pending) {
    let name = snake(p.replace(/[{}]/g, '')) || 'root';
    for (let i = 2; taken.has(name); i++) name = `${snake(p.replace(/[{}]/g, ''))}_${i}`;
    taken.add(name);
    out.set(p, name);
  }
  return out;
}
