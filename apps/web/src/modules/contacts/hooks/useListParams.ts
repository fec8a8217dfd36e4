import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * A list's filters live in the address (`?q=&tag=…`): a filtered list can be bookmarked and the
 * back button returns to it. Changes replace the history entry rather than adding one per key.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (change: (next: URLSearchParams) => void) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          change(next);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // The search box holds what is typed; `?q=` follows once typing pauses.
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    const term = debounced.trim();
    if (term === q) return;
    update((next) => (term ? next.set('q', term) : next.delete('q')));
  }, [debounced, q, update]);

  const setTags = useCallback(
    (tags: readonly string[]) =>
      update((next) => {
        next.delete('tag');
        for (const tag of tags) next.append('tag', tag);
      }),
    [update],
  );

  return {
    params,
    update,
    q,
    search,
    setSearch,
    /** The tags filter as one string (stable across renders, for memo keys); split on '\n'. */
    tagsKey: params.getAll('tag').join('\n'),
    setTags,
  };
}
