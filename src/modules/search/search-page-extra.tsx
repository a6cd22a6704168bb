import type { TFunction } from 'i18next';

export interface SearchPageExtraProps {
  t: TFunction;
  locale: string;
  /** The recorded search, so the typeahead island can report which result was clicked. */
  searchId: string | null;
  didYouMean: string | null;
}

/** What the search module adds to the results page: "did you mean" and the hook for result-click reporting. */
export function SearchPageExtra({ t, locale, searchId, didYouMean }: SearchPageExtraProps) {
  return (
    <>
      {didYouMean ? (
        <p class="did-you-mean" data-did-you-mean="">
          {t('typeahead.didYouMean')}{' '}
          <a href={`/${locale}/search?q=${encodeURIComponent(didYouMean)}`}>
            <strong>{didYouMean}</strong>
          </a>
        </p>
      ) : null}
      {searchId ? <div hidden data-search-log="" data-search-id={searchId} /> : null}
    </>
  );
}
