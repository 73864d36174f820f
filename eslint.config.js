// `npm run lint` (part of `npm test`). Three rules matter most here: time comes from the injected
// clock (server/clock.ts), no promise is left floating, no variable is left unused.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Reading the system time in the server: tests move an injected clock, which this would ignore. */
const SYSTEM_TIME = 'The server reads time from the injected Clock (server/clock.ts), never the system clock: take `clock.now()` or a `now: Date` from the caller.';

export default defineConfig([
  globalIgnores(['server/db/generated/', 'dist/', 'data/', 'test/e2e/screenshots/']),
  {
    files: ['**/*.{ts,js,mjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Type information for no-floating-promises; the .mjs files are outside tsconfig.json.
        projectService: { allowDefaultProject: ['bench/*.mjs', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Fields dropped by a rest destructuring are the point of it; `_next` keeps Express's four-argument error handler.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: SYSTEM_TIME },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: SYSTEM_TIME },
        { selector: "CallExpression[callee.name='Date']", message: SYSTEM_TIME }, // Date() is today's date as a string
      ],
    },
  },
  {
    // Tests read the fake Stripe API's requests as the SDK encoded them: untyped wire data.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Browser scripts, served as they are: no type information (they are outside tsconfig.json).
    files: ['public/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.browser },
  },
]);
