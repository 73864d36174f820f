import type { RecordHooks } from '../publishing/members-sections.ts';
import { recordMembersSectionChanges } from './section-record.ts';
import { bringRevealTimesForward, hasChainEntries } from './signal-log.repo.ts';

/** What publishing's saves call inside their transaction to keep the record in step (publishing sits below signals). */
export const RECORD_HOOKS: RecordHooks = {
  membersSectionsChanged: recordMembersSectionChanges,
  embargoShortened: bringRevealTimesForward,
  hasRecord: hasChainEntries,
};
