// Dependency rules for server/ (issue 15): `npm run lint` runs `depcruise server` with this file.
// Layers, lowest first: config/clock/paths ← shared folders ← features ← app.ts ← deps.ts, main.ts.
// scripts/, test/ and bench/ sit outside these rules: they may wire anything together.
// Known violations, being fixed in other branches (modules typing their deps with AppDeps from
// deps.ts; cache/app-caches.ts, http/rate-limits.ts, ops/http-metrics.ts importing features), are
// listed in .dependency-cruiser-known-violations.json and skipped by --ignore-known; delete that
// file once they are gone.

/** Lowest first: a feature may import only the features before it in this list. */
const FEATURES = ['mail', 'accounts', 'access', 'catalog', 'pages', 'publishing', 'signals', 'admin', 'receipts', 'checkout', 'analytics'];
const SHARED = ['db', 'http', 'ops', 'cache'];

const oneOf = (folders) => `^server/(${folders.join('|')})/`;

/** One rule per feature: it may not import any feature above it (the last one has none above). */
const featureOrderRules = FEATURES.slice(0, -1).map((feature, index) => ({
  name: `${feature}-imports-only-lower-features`,
  comment: `${feature} sits below ${FEATURES.slice(index + 1).join(', ')}: importing upwards would make features depend on each other in circles.`,
  severity: 'error',
  from: { path: `^server/${feature}/` },
  to: { path: oneOf(FEATURES.slice(index + 1)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means neither module can be understood, tested or moved without the other.',
      severity: 'error',
      from: { path: '^server/' },
      to: { circular: true },
    },
    {
      name: 'shared-knows-no-feature',
      comment: 'Shared folders and config/clock/paths serve every feature, so they may know none of them, nor the wiring that builds the app.',
      severity: 'error',
      from: { path: [oneOf(SHARED), '^server/(config|clock|paths)[.]ts$'] },
      to: { path: [oneOf(FEATURES), '^server/(app|deps|main)[.]ts$'] },
    },
    {
      name: 'base-modules-stand-alone',
      comment: 'config, clock and paths are read first by everything else; they may only lean on each other.',
      severity: 'error',
      from: { path: '^server/(config|clock|paths)[.]ts$' },
      to: { path: '^server/', pathNot: '^server/(config|clock|paths)[.]ts$' },
    },
    ...featureOrderRules,
    {
      name: 'only-the-composition-root-imports-the-app',
      comment: 'app.ts, deps.ts and main.ts wire everything together; anything else importing them would depend on the whole app. deps.ts and main.ts may import app.ts.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/(deps|main)[.]ts$' },
      to: { path: '^server/(app|deps|main)[.]ts$' },
    },
  ],
  options: {
    includeOnly: '^server/',
    exclude: { path: '^server/db/generated/' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: they tie the modules together just the same.
    tsPreCompilationDeps: true,
  },
};
