// Demo content for the publisher's first thesis. Original prose; the
// publisher's opinion only. Nothing here is a price target or advice.

export interface DemoThesis {
  slug: string;
  series: string;
  subject: string;
  title: string;
  tagline: string;
  priceAmount: number;
  currency: string;
  publicBody: string;
  footer: string;
  disclosurePosition: 'none' | 'held';
  disclosureCompensation: string;
  disclosureStatement: string;
  stressTests: { argument: string; assumption: string; verdict: 'Invalid' | 'Partial' | 'Valid' }[];
  signals: { title: string; description: string }[];
  memberSections: { title: string; summary: string; body: string }[];
}

const publicBody = `## What this thesis is

This is our view that the economics of AI inference are about to be repriced around one number: the cost of generating the next token. We think the market still values AI hardware mostly by its ability to train models, and that the decode step of inference, which runs every time a model answers anyone, will become the larger and more durable budget line. Cerebras Systems is the subject because its wafer-scale design attacks that step more directly than anything else we can see in public.

## What this thesis is not

- It is not a claim that GPUs are finished. They remain the default for training and for most inference today.
- It is not a price target. We do not know what any security will be worth, and neither does anyone else.
- It is not a recommendation to buy anything. It is a framework for watching a specific shift and deciding for yourself.

## The mispricing

Most public commentary treats inference as a smaller, cheaper echo of training. We think that framing is out of date. Training is a large cost paid occasionally; inference is a smaller cost paid continuously, by every user, on every request, forever. As models move from chat windows into agents that call themselves in loops, the number of tokens generated per human action rises by an order of magnitude or more. If that happens, the hardware that makes each token cheapest and fastest captures value that current valuations do not seem to reflect.

## The constraint

Autoregressive decode produces one token at a time. To produce each token, the processor must read a very large share of the model's weights from memory. The arithmetic per byte read is small, so the chip spends most of its time waiting on memory rather than computing. In plain terms, decode is memory-bandwidth bound. Adding more compute to a chip that is already waiting on memory does little for single-stream speed.

- Training and prefill are mostly compute bound and batch well.
- Decode is mostly bandwidth bound and batches less well as latency targets tighten.
- Faster decode therefore means more bytes per second, not more operations per second.

## The break

The conventional answer is high-bandwidth memory stacked beside the processor. It is fast, expensive, supply-constrained and still off-chip. Cerebras took a different path: a single processor the size of a silicon wafer, with a large pool of on-chip SRAM spread across the die. Publicly described figures put its on-chip memory bandwidth far above what any off-chip memory system delivers. If the weights, or a large part of them, sit in SRAM next to the compute, the bandwidth wall moves. That is the break we care about.

## The equation

We reduce the argument to a rough relationship. The cost of serving a token is roughly the cost of the hardware-hour divided by the tokens it produces in that hour, plus power and operations. Tokens per hour, for a single stream, scale with memory bandwidth divided by the bytes read per token. A design that raises bandwidth by a large multiple can carry a much higher hardware cost and still win on cost per token, provided utilisation stays high. The whole thesis lives inside that proviso.

## The shift

We think buyers are moving from asking how many accelerators they own to asking what each token costs and how fast it arrives. Speed is not vanity: for agents that chain dozens of model calls, latency compounds. A workflow that takes two minutes on one system and ten seconds on another is a different product, not a faster version of the same one. When speed changes what can be built, the buyer pays for speed.

## Proof of adoption

A thesis about hardware is only as good as the customers who run it. We look for evidence that goes beyond demonstrations:

- public inference services quoting per-token prices competitive with GPU-based clouds;
- named enterprise or model-lab customers using the system in production, not pilots;
- developer usage that grows without heavy promotion;
- repeat and expanded orders rather than single large contracts.

Some of this evidence exists in public today. Much of it is still concentrated in a small number of customers, which we treat as a real risk rather than a detail.

## The stack

Inference value is spread across layers, and the thesis touches each one differently:

- compute: the processors that run decode;
- memory: on-chip SRAM versus stacked HBM, and the suppliers behind each;
- network: the fabric that links systems when a model does not fit on one;
- software: compilers and serving layers that keep utilisation high;
- application: the companies whose products change when tokens get fast and cheap.

We think the first durable winners sit at the bottom of the stack, and the largest eventual winners sit at the top.

## The risks we take seriously

Wafer-scale manufacturing is hard and yields are a constant question. Very large models may not fit in on-chip memory, which forces splitting across systems and erodes part of the advantage. Incumbents are not standing still: each new generation of GPUs and HBM raises bandwidth, and software tricks such as speculative decoding narrow the gap from the other side. Customer concentration, access to capital and the conditions of any public listing all matter.

## How we will know

We have written down, in advance, the observable facts that would confirm or kill this view. They are listed below as signals. We will update their status as evidence arrives and we will say so plainly if the thesis fails.

## Our view, in one paragraph

Decode is the part of AI that runs forever, and it is limited by memory bandwidth. Cerebras has built the most direct public answer to that limit. If the market for inference grows the way we expect, and if utilisation and supply hold up, the cost per token becomes the number that decides winners. We think that repricing has not happened yet. We may be wrong, and this page explains exactly how we would find out.`;

export const demoThesis: DemoThesis = {
  slug: 'decode-singularity',
  series: 'Open Intelligence · Public Thesis',
  subject: 'Cerebras Systems',
  title: 'The Decode Singularity',
  tagline: 'Why the cost of the next token, not the size of the cluster, will decide who wins AI inference.',
  priceAmount: 7500,
  currency: 'cad',
  publicBody,
  footer:
    'Harbourline Research · Halifax — For qualified investors only. This is general information, not investment advice.',
  disclosurePosition: 'none',
  disclosureCompensation: 'None. Harbourline Research received no compensation from Cerebras Systems or anyone else for this thesis.',
  disclosureStatement:
    'This is general information only. It is not personalised investment advice and does not take into account your objectives, financial situation or needs.',
  stressTests: [
    {
      argument: 'GPUs with newer HBM generations will close the bandwidth gap on their own.',
      assumption: 'Off-chip memory bandwidth will grow fast enough to match on-chip SRAM for decode.',
      verdict: 'Invalid',
    },
    {
      argument: 'Frontier models are too large to fit in on-chip memory, so the advantage disappears.',
      assumption: 'Splitting a model across several systems costs more than the bandwidth gain is worth.',
      verdict: 'Partial',
    },
    {
      argument: 'Batching hides the memory wall, so single-stream speed does not matter commercially.',
      assumption: 'Buyers care about aggregate throughput and will accept high per-request latency.',
      verdict: 'Partial',
    },
    {
      argument: 'Wafer-scale yields and manufacturing costs make the unit economics unworkable.',
      assumption: 'Defect tolerance is not good enough to ship large volumes at a sustainable margin.',
      verdict: 'Invalid',
    },
    {
      argument: 'Revenue is concentrated in a handful of customers, so the business is fragile.',
      assumption: 'Losing or shrinking one large customer would materially change the outlook.',
      verdict: 'Valid',
    },
    {
      argument: 'Software techniques such as speculative decoding and quantisation will erase the hardware edge.',
      assumption: 'Algorithmic gains help commodity hardware more than they help specialised hardware.',
      verdict: 'Partial',
    },
  ],
  signals: [
    {
      title: 'Per-token price leadership',
      description:
        'Public inference prices for popular open-weight models stay at or below GPU-based clouds while delivering several times the output speed.',
    },
    {
      title: 'Customer breadth',
      description:
        'The share of revenue from the largest customer falls steadily as new named production customers are added.',
    },
    {
      title: 'Large-model fit',
      description:
        'Frontier-scale models run across multiple systems without losing most of the single-system speed advantage.',
    },
    {
      title: 'Agentic token demand',
      description:
        'Industry disclosures show tokens generated per user action rising sharply as agent workflows move into production.',
    },
    {
      title: 'Supply and capacity',
      description:
        'Announced data-centre capacity comes online on schedule and wafer supply keeps pace with disclosed demand.',
    },
  ],
  memberSections: [
    {
      title: 'Position sizing',
      summary: 'A sizing framework in bands, tied to your risk tolerance and to how many signals have confirmed.',
      body: `Think of exposure to this idea as a dial with three settings rather than a single bet. We call this the tri-band conviction ladder, and it is how Harbourline sizes every thesis with one concentrated, early-stage name at its core.

- Scout band, 0.5% to 1% of a diversified portfolio: appropriate while fewer than two signals are confirmed. The goal is to own enough to pay attention, not enough to matter if the thesis fails.
- Core band, 1.5% to 3%: appropriate once two signals are confirmed and none has failed. This is where most readers should expect to sit for most of the life of the thesis.
- Conviction band, 3% to 5%: reserved for the case where per-token price leadership and customer breadth are both confirmed. We do not go above 5% in any single name tied to this thesis, and we count all proxies together against that ceiling.

Two rules override the bands. First, if any signal moves to failed, drop one band immediately, without waiting for confirmation from the market. Second, size to the loss you can hold, not the gain you hope for: assume a drawdown of 60% is possible at any point and ask whether that number, applied to your position, would change your behaviour. If it would, you are one band too high.

Readers with concentrated employer stock in semiconductors should treat that as existing exposure and start one band lower.`,
    },
    {
      title: 'Timing and entry levels',
      summary: 'A staged entry plan keyed to specific company and industry events rather than to the calendar.',
      body: `Entries in this thesis are staged around events, never around dates, using what we call the three-gate entry sequence.

Gate one opens on the first reliable public disclosure of audited financials. Deploy no more than a third of the intended position here. Early disclosures tend to be volatile and the first read of customer concentration will move the price in both directions.

Gate two opens after the first two reporting periods, or roughly six months of trading history, whichever comes later. By then lock-up dynamics are visible and the first analyst coverage has been written. Deploy the second third only if at least one signal has moved to strengthening or confirmed.

Gate three opens on a specific operational event: a second named production customer announced at scale, or a published per-token price cut that competitors match within a quarter. The final third goes in here.

On price levels, we avoid fixed numbers. Instead, we anchor entries to a ratio: enterprise value divided by trailing revenue, compared against the median of listed AI-infrastructure peers. We prefer to add when that ratio sits below 1.5 times the peer median and to pause when it exceeds 3 times. This keeps the plan honest when sentiment swings.

If a gate does not open within eighteen months of the previous one, treat the thesis as stalled and hold the position at its current size.`,
    },
    {
      title: 'Execution strategy',
      summary: 'How to actually build the position around a listing event, including proxies and order mechanics.',
      body: `Order handling around a new listing matters more than most readers expect, so we follow a short playbook we call the quiet-tape protocol.

Before any listing, exposure is only available indirectly. We rank the proxies by purity: funds that disclose a position, listed suppliers with a measurable share of revenue from wafer-scale demand, and data-centre operators hosting the systems. None is pure; treat any proxy position as scout-band size at most.

On listing day, do not trade in the opening auction. Early prints on new listings are frequently far from where the stock settles within weeks. Wait at least until the first full session has closed, and ideally until the first week has traded.

When you do buy, use limit orders placed inside the spread, in slices no larger than a tenth of your intended tranche, spread across several sessions. Avoid the first and last thirty minutes of the day, when spreads on newly listed names are widest.

If you hold a proxy when the direct security becomes tradable, rotate out of the proxy in the same staged way you rotate in: never sell the proxy in one go to fund a single direct purchase.

Finally, keep a written log of every fill with the reason for it. When a signal changes, the log tells you which tranche was bought on which evidence, and which one to trim first.`,
    },
    {
      title: 'Live signal tracking',
      summary: 'How to read each signal, what moves it between states, and what we do when it moves.',
      body: `Each signal moves through five states, and we assign every one of them a threshold test that we call the evidence ledger rule: no status changes without two independent dated sources.

Per-token price leadership: strengthening when public prices for a reference open-weight model fall while speed holds; confirmed when that lead lasts two consecutive quarters; weakening if a major GPU cloud matches both price and speed.

Customer breadth: we track the largest customer's share of disclosed revenue. Confirmed below 40%; failed if it rises back above 70% for two periods.

Large-model fit: we watch published benchmarks for the largest open-weight models. Confirmed if multi-system deployments keep at least half of the single-system speed advantage.

Agentic token demand: read industry disclosures on tokens processed and agent usage. This is the slowest signal and the one most exposed to hype, so we treat announcements without numbers as noise.

Supply and capacity: compare announced capacity with what is actually serving traffic. Repeated slippage of more than two quarters moves this to weakening.

When two signals weaken at the same time, we publish a review within a week. When any signal fails, we state in writing whether the thesis survives, and we change the sizing guidance the same day. Members receive an alert for every status change, with the evidence attached.`,
    },
    {
      title: 'Capital rotation across layers',
      summary: 'A plan for moving capital between compute, memory, network and application layers as the thesis matures.',
      body: `Value in an infrastructure cycle tends to migrate up the stack over time, and our stack migration schedule is built on that pattern.

Phase one, the build-out: most of the capital allocated to this thesis sits in compute, roughly 60%, with 20% in memory and 20% in network. In this phase the scarce resource is silicon and bandwidth, and the layers closest to it earn the highest margins.

Phase two, the utilisation test: once per-token prices fall for two consecutive quarters, compute margins usually compress. We shift toward 40% compute, 20% memory, 20% network and 20% application, favouring software businesses whose products visibly improve when tokens become fast and cheap.

Phase three, the application harvest: when agentic token demand is confirmed, we expect the largest gains to accrue to companies that turn cheap decode into products customers pay for. The target mix becomes 25% compute, 15% memory, 15% network and 45% application.

Memory deserves a specific note. This thesis argues that on-chip SRAM competes with stacked HBM. Holding HBM suppliers is therefore partly a hedge: if the thesis fails, they tend to benefit. We keep that hedge deliberately through phase one and reduce it only as the large-model fit signal confirms.

Rotate no more than a quarter of the allocation per quarter, and only on a signal change, never on price movement alone.`,
    },
  ],
};
