import { useTranslation } from 'react-i18next';
import {
  consentStateKey,
  isChannel,
  isPolarity,
  isSource,
  legalBasisKey,
  purposeKey,
} from '../model/vocabulary.ts';

/** Words for the consent identifiers in the UI language; an unknown identifier is shown as it is. */
export function useConsentLabels() {
  const { t } = useTranslation();
  return {
    purpose: (curie: string) => {
      const key = purposeKey(curie);
      return key ? t(`consent.purposes.${key}`) : curie;
    },
    legalBasis: (curie: string) => {
      const key = legalBasisKey(curie);
      return key ? t(`consent.legalBases.${key}`) : curie;
    },
    channel: (channel: string) => (isChannel(channel) ? t(`consent.channels.${channel}`) : channel),
    polarity: (polarity: string) => (isPolarity(polarity) ? t(`consent.polarities.${polarity}`) : polarity),
    state: (state: string) => {
      const key = consentStateKey(state);
      return key ? t(`consent.states.${key}`) : state;
    },
    source: (source: string) => (isSource(source) ? t(`consent.sources.${source}`) : source),
  };
}
