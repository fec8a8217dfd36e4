-- A saved selection's purpose (modules/contacts/selections): 'general' (default: any use) or
-- 'marketing'. The filter of a marketing selection is compiled with every registered marketing
-- suppression (registerSelectionSuppression, selections.leaf.ts) — the consent module's: a
-- contact with a current prohibition answer ("do not contact me at all") never matches.
ALTER TABLE selection
  ADD COLUMN purpose text NOT NULL DEFAULT 'general' CHECK (purpose IN ('general', 'marketing'));
