/** Where the login page sends the user afterwards: `/login?next=<path>`. */
export function loginPathFor(location: { pathname: string; search: string; hash: string }): string {
  const target = `${location.pathname}${location.search}${location.hash}`;
  if (target === '/' || location.pathname === '/login') return '/login';
  return `/login?next=${encodeURIComponent(target)}`;
}

/** The `next` parameter, if it is a path of this app: never another origin (`//evil`, `/\evil`). */
export function safeNext(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login#')) return '/';
  return next;
}
