// The demo's members' layer. The publisher has not shown theirs, so every body here is a stand-in
// that says so in its first sentence: the shape of the paid layer, not the publisher's figures.

const ILLUSTRATIVE =
  'It shows the shape of the members’ layer; the publisher’s own figures replace it. Nothing here is advice.';

export const demoMembersLayer = [
  {
    title: 'Position sizing',
    summary: 'How large a position to hold, in bands tied to how many signals have confirmed.',
    body: `Sizing bands here are illustrative only. ${ILLUSTRATIVE}

Exposure is a dial with three settings, not a single bet:

- **Scout**, 0.5% to 1% of a diversified portfolio, while fewer than two signals are confirmed.
- **Core**, 1.5% to 3%, once two signals are confirmed and none has failed.
- **Conviction**, 3% to 5%, only when agent workloads and premium low-latency tiers are both confirmed.

Two rules override the bands. A failed signal drops the position one band the same day. And size to the loss you can hold: assume a 60% drawdown at any time.`,
  },
  {
    title: 'Timing and entry levels',
    summary: 'When to enter, staged on events rather than on the calendar.',
    body: `Entry gates here are illustrative only. ${ILLUSTRATIVE}

The position is built in thirds, each behind a gate:

1. The first third when audited financials are public.
2. The second third after two reporting periods, if at least one signal is strengthening or confirmed.
3. The last third when a second hyperscaler routes decode to the system in production.

Entry levels are a ratio, not a price: add below 1.5 times the median revenue multiple of listed AI-infrastructure peers, pause above 3 times.`,
  },
  {
    title: 'Execution strategy',
    summary: 'How to build the position: direct access, proxies and order handling.',
    body: `This execution plan is illustrative only. ${ILLUSTRATIVE}

Before a listing, exposure is indirect. Rank proxies by purity and keep any proxy at scout size.

On a listing, skip the opening auction and the first week. Buy with limit orders inside the spread, in slices of a tenth of a tranche, over several sessions. Rotate out of proxies the way you rotated in: in stages.

Log every fill with the evidence behind it, so a weakening signal tells you which tranche to trim first.`,
  },
  {
    title: 'Live signal tracking',
    summary: 'What moves each of the five signals, and what we do when one moves.',
    body: `These tracking rules are illustrative only. ${ILLUSTRATIVE}

No status changes without two independent, dated sources.

- **Agent workloads in production**: confirmed when production agent traffic is disclosed, not announced.
- **Latency moves economics**: confirmed when a buyer prices work by completion time.
- **Premium low-latency tiers**: confirmed when a premium tier is renewed, not only launched.
- **Tokens per task rising**: confirmed when disclosed tokens per task rise two quarters in a row.
- **Software leaves a gap**: weakening if a software release matches wafer-scale decode speed on GPUs.

Two weakening signals trigger a written review within a week. A failed signal gets a written verdict on the thesis the same day.`,
  },
  {
    title: 'Capital rotation across layers',
    summary: 'How capital moves between training, batch inference and agentic inference as the thesis plays out.',
    body: `This rotation schedule is illustrative only. ${ILLUSTRATIVE}

- **Build-out**: most of the allocation in the agentic-inference layer, a hedge kept in training.
- **Utilisation test**: when premium tiers are confirmed, move a quarter toward the software that turns fast decode into products.
- **Harvest**: when tokens per task are confirmed rising, the application layer takes the largest share.

Rotate at most a quarter of the allocation per quarter, and only on a signal change, never on price alone.`,
  },
];
