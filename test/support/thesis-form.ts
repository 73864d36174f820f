/** A complete, publishable thesis as the editor form posts it (repeated names = rows). */
export function thesisForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    slug: 'memory-wall',
    series: 'Open Intelligence · Public Thesis',
    subject: 'Acme Memory Corp',
    title: 'The Memory Wall',
    tagline: 'Bandwidth, not compute, sets the price of the next token.',
    price: '75.00',
    currency: 'CAD',
    publicBody: '## What this thesis is\n\nA public argument about memory.\n\n## The constraint\n\nBandwidth bound.',
    footer: 'Harbourline Research · Halifax',
    disclosurePosition: 'held',
    disclosurePositionSince: '2025-03-01',
    disclosureCompensation: 'None',
    disclosureStatement: 'General information, not personalised advice.',
    stressTests: '',
    stressArgument: ['HBM will catch up.', ''],
    stressAssumption: ['Off-chip bandwidth grows fast enough.', ''],
    stressVerdict: ['Partial', 'Invalid'],
    signalId: ['', ''],
    signalTitle: ['Price leadership', 'Customer breadth'],
    signalDescription: ['Per-token prices stay lowest.', 'Largest customer share falls.'],
    memberTitle: ['Position sizing', 'Timing and entry levels'],
    memberSummary: ['Bands tied to conviction.', 'Event-driven entries.'],
    memberBody: ['SECRET-SIZING: scout band 0.5% to 1%.', 'SECRET-TIMING: gate one opens on audited financials.'],
    ...overrides,
  };
}
