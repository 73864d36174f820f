// The demo content: the publisher's first thesis, written in our own words from its outline
// (the order, section titles, named companies, verdicts and signals are the publisher's). The
// publisher's opinion only; nothing here is a price target or advice.
import { demoMembersLayer } from './demo-members-layer.ts';

export interface DemoThesis {
  slug: string;
  series: string;
  subject: string;
  title: string;
  tagline: string;
  priceAmount: number;
  currency: string;
  publicBody: string;
  publicClosing: string;
  membersExcerpt: string;
  disclosurePosition: 'none' | 'held';
  disclosureStatement: string;
  stressTests: { argument: string; assumption: string; verdict: 'Invalid' | 'Partial' | 'Valid' }[];
  signals: { title: string; description: string }[];
  memberSections: { title: string; summary: string; body: string }[];
}

/** The demo's lines that name its publisher: the configured name (PUBLISHER_NAME), the one the site's header shows. */
export function demoPublisherLines(publisherName: string): { footer: string; disclosureCompensation: string } {
  return {
    footer: `${publisherName} · Calgary · 2026 — For qualified investors only. Not investment advice.`,
    disclosureCompensation: `None. ${publisherName} received no compensation from Cerebras Systems or anyone else for this thesis.`,
  };
}

const publicBody = `## What This Is — And What It Isn't

This is not a stock pitch. It is a constraint-based thesis.

We start from reality and the constraints it will not negotiate. Then we map which systems line up with them. Most research asks what will happen. This thesis asks what must happen. That difference is the edge.

## The Mispricing

Capital is pouring into training infrastructure. Nvidia leads that build-out, and the market prices it as the place where value is created.

Training produces intelligence. Inference produces output. Output is what earns the revenue.

The industry counts tokens. The economy pays for completed work. The gap between the two is the mispricing.

## The Constraint

All inference is bound by autoregressive decode. Every token needs a full forward pass. Every pass moves the model's weights. Moving them is bound by memory bandwidth.

This is physics, not a tuning problem. Compute keeps scaling. The cost of moving data does not go away.

## The Break

Cerebras keeps the model in on-chip SRAM. Memory and compute become one system.

- Weights are not carried back and forth on every token.
- Nothing sits idle waiting on memory.
- Latency does not pile up from one iteration to the next.

This is not a faster GPU. It is a different category.

## The Layer

We think in layers, not stories. If this layer matters, someone will own it.

Cerebras is one implementation of it. It is aligned with the constraint today. That is not a guarantee.

## The Equation

Output = iteration speed (latency) × quality (model capability) × uptime (continuous operation).

The market watches quality. This thesis bets on speed. If speed does not dominate, the thesis fails. If it does, the outcome is inevitable.

## The Shift

AI is moving from answers to execution. A chatbot answers a question. An agent completes a task, and it works in loops:

Observe → Think → Act → Verify → Repeat.

Every loop pays the latency bill, and the bills compound. At human speed that is tolerable. At machine speed it decides who wins.

## The Reasoning Tax

On a GPU, every step moves memory. Harder tasks need more tokens, so latency multiplies as capability grows. A system whose cost rises with its own progress is unstable.

Cerebras removes that tax.

## Distribution

The old objection to wafer-scale systems: too big, too specialised, too hard to deploy. It assumed that buyers own the hardware.

Served through the cloud as an access layer, the hardware disappears. Developers do not care what the chip looks like. They care about time to completion.

## Proof of Adoption — the stack is already forming

Three adopters, three reasons:

- **Amazon Web Services** splits inference in two. Compute-heavy prefill stays on existing infrastructure; latency-bound decode goes to Cerebras. That is workload specialisation.
- **OpenAI** runs reasoning models that write long internal chains of thought. More thinking means more iterations, and more iterations make latency the constraint. Cerebras fits that shift.
- **Oracle** optimises for reliability at scale. Its adoption says low-latency inference is a production requirement, not an experiment.

The pattern: training and general inference stay where they are. Latency-sensitive execution becomes a layer of its own, and the constraint pulls Cerebras into it.

## Always-On Economics

Agents run continuously. Latency turns into throughput. Throughput turns into revenue.

AI stops being a cost centre and becomes a profit engine.

## The Stack

Three different markets, not one:

- **Training**: high throughput, general purpose. Nvidia dominates.
- **Inference, batch**: optimised for cost. It is commoditising.
- **Inference, agentic**: optimised for latency. This is the bottleneck, and this is where Cerebras sits.

Next, the thesis is attacked. A valid counter-thesis must deliver the same output without removing the constraint. If the counter-arguments below fail, the constraint holds. Then reality has to confirm it: if the signals align, the thesis strengthens; if they do not, it fails.`;

const publicClosing = `## Final Condition

The whole thesis comes down to one question.

If AI stays chat-based, GPUs dominate. If it becomes agent-based, latency dominates, and then the decode bottleneck picks the winner.

Execution needs iteration. Iteration needs speed. Speed is bound by memory movement.

The Decode Singularity is not a future event. It is the condition for AI to earn a return on capital.`;

// The paywall's sample: a passage of the (illustrative) position sizing section, as the publisher would pick one.
const membersExcerpt = `From **Position sizing** (illustrative figures, as in the whole demo members' layer):

Exposure is a dial with three settings, not a single bet:

- **Scout**, 0.5% to 1% of a diversified portfolio, while fewer than two signals are confirmed.
- **Core**, 1.5% to 3%, once two signals are confirmed and none has failed.`;

export const demoThesis: DemoThesis = {
  slug: 'decode-singularity',
  series: 'Open Intelligence · Public Thesis',
  subject: 'Cerebras Systems',
  title: 'The Decode Singularity',
  tagline: 'The market is paying for intelligence. The return will come from execution.',
  priceAmount: 7500,
  currency: 'cad',
  publicBody,
  publicClosing,
  membersExcerpt,
  disclosurePosition: 'none',
  disclosureStatement:
    'This is general information only. It is not personalised investment advice and does not take into account your objectives, financial situation or needs.',
  stressTests: [
    {
      argument: 'Good enough: current latency is good enough.',
      assumption: 'Latency only matters for user experience. It fails in autonomous loops, where latency compounds.',
      verdict: 'Invalid',
    },
    {
      argument: 'Software: optimisation will remove the bottleneck.',
      assumption: 'Better software makes the constraint go away. It shrinks the bottleneck, but memory movement remains.',
      verdict: 'Partial',
    },
    {
      argument: 'Distribution: wafer-scale hardware is too complex to adopt.',
      assumption: 'Hardware complexity limits adoption. It fails once the system is reached as an API.',
      verdict: 'Invalid',
    },
  ],
  signals: [
    { title: 'Agent workloads in production', description: 'Agent-based workloads keep growing in production, not only in demonstrations.' },
    { title: 'Latency moves economics', description: 'Evidence that latency changes economic outcomes, not only user experience.' },
    { title: 'Premium low-latency tiers', description: 'Premium low-latency inference tiers are offered and adopted.' },
    { title: 'Tokens per task rising', description: 'Tokens spent per task rise because of reasoning loops.' },
    { title: 'Software leaves a gap', description: 'Software fails to close the latency gap entirely.' },
  ],
  memberSections: demoMembersLayer,
};
