import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/inbox, #/projects/P-1): the API serves one static page at /console/, and a link can
 * be copied, bookmarked and opened in a new tab.
 */
export function useRoute(): string[] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
}

export const href = (...segments: string[]): string => `#/${segments.map(encodeURIComponent).join('/')}`;

export function navigate(...segments: string[]): void {
  window.location.hash = href(...segments);
}
