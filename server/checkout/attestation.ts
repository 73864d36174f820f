/**
 * What a buyer confirms on the buy page before paying. The version is stored with each checkout, so
 * a later change of wording never rewrites what an earlier buyer agreed to.
 */
export const ATTESTATION = Object.freeze({
  version: '2026-11-26',
  qualifiedInvestor: 'I am a qualified (accredited or permitted) investor under the laws that apply to me.',
  terms: 'I accept the terms of sale: a single thesis, delivered at once, for personal use.',
  notAdvice: 'I understand this research is general information and not investment advice.',
});

export const ATTESTATION_TEXT = [ATTESTATION.qualifiedInvestor, ATTESTATION.terms, ATTESTATION.notAdvice].join('\n');
