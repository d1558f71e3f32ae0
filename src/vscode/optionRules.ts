// An option's rule in the user's language: the one wording table (src/shared/optionsSchema.ts) through
// l10n, for validation errors and for settings that were ignored alike.
import { OPTION_RULES_EN, optionRuleText } from '../shared/optionsSchema';
import { l10n, type SafeText } from './ui/text';

export function describeOptionRule(field: string): SafeText {
  const { key, values } = optionRuleText(field);
  return l10n.t(OPTION_RULES_EN[key], values);
}
