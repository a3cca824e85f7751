/** Where the user is, kept in the URL's hash so a reload (or a screenshot script) lands on the same view. */

export const detailTabs = ['logs', 'traffic', 'explorer', 'schema', 'problems', 'terminal', 'connect'] as const;
export type DetailTab = (typeof detailTabs)[number];

export type Route =
  | { page: 'servers' }
  | { page: 'server'; name: string; tab: DetailTab }
  | { page: 'connect' }
  | { page: 'catalog' }
  | { page: 'metrics' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  const [page, name, tab] = parts;
  if (page === 'servers' && name) {
    return { page: 'server', name, tab: detailTabs.includes(tab as DetailTab) ? (tab as DetailTab) : 'logs' };
  }
  if (page === 'connect' || page === 'catalog' || page === 'metrics' || page === 'settings') return { page };
  return { page: 'servers' };
}

export function formatRoute(route: Route): string {
  switch (route.page) {
    case 'server':
      return `#/servers/${encodeURIComponent(route.name)}/${route.tab}`;
    case 'servers':
      return '#/servers';
    default:
      return `#/${route.page}`;
  }
}
