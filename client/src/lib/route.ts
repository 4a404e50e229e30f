// The tiny router: every page is a full load, so the path is read once.
/** The organizer's printable and report pages, opened from Control. */
export type ControlPage = 'badges' | 'board' | 'report';
const CONTROL_PAGES: readonly string[] = ['badges', 'board', 'report'] satisfies ControlPage[];

export type Route =
  | { view: 'home' }
  | { view: 'control'; eventId: string }
  | { view: 'control-page'; eventId: string; page: ControlPage }
  | { view: 'screen'; eventId: string }
  | { view: 'participant'; role: 'mentee' | 'mentor'; code: string }
  | { view: 'not-found' };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const [first, second, ...rest] = parts;
  if (parts.length === 0) return { view: 'home' };
  if (first === 'control' && second && rest.length === 1 && CONTROL_PAGES.includes(rest[0]!)) {
    return { view: 'control-page', eventId: second, page: rest[0] as ControlPage };
  }
  if (!second || rest.length > 0) return { view: 'not-found' };
  switch (first) {
    case 'control':
      return { view: 'control', eventId: second };
    case 'screen':
      return { view: 'screen', eventId: second };
    case 'j':
      return { view: 'participant', role: 'mentee', code: second.toUpperCase() };
    case 'm':
      return { view: 'participant', role: 'mentor', code: second.toUpperCase() };
    default:
      return { view: 'not-found' };
  }
}
