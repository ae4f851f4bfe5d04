// Lint and format, checked by `npm test` (`npm run lint`); `npm run format` fixes what it can.
// typescript-eslint's recommended rules catch mistakes; @stylistic is the formatter, set to the
// style the code is written in: four spaces, double quotes, semicolons, trailing commas in
// multi-line lists, and lines of at most 160 characters (a line that is one string literal, such as
// a long message or an expected value, may be longer: splitting it would hide it from grep).
import js from "@eslint/js";
import stylistic from "@stylistic/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", ".tmp/", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        plugins: { "@stylistic": stylistic },
        rules: {
            "@stylistic/indent": ["error", 4, { SwitchCase: 1 }],
            "@stylistic/quotes": ["error", "double", { avoidEscape: true }],
            "@stylistic/semi": ["error", "always"],
            "@stylistic/comma-dangle": ["error", "always-multiline"],
            "@stylistic/max-len": ["error", {
                code: 160, ignoreUrls: true, ignoreRegExpLiterals: true, ignorePattern: "^\\s*(\"[^\"]*\"|`[^`]*`|'[^']*')[,;)]*$",
            }],
            "@stylistic/no-trailing-spaces": "error",
            "@stylistic/eol-last": "error",
            "@stylistic/no-multiple-empty-lines": ["error", { max: 2, maxEOF: 0 }],
            "@stylistic/arrow-parens": ["error", "always"],
            "@stylistic/brace-style": ["error", "1tbs", { allowSingleLine: true }],
            "@stylistic/keyword-spacing": "error",
            "@stylistic/space-infix-ops": "error",
            "@stylistic/comma-spacing": "error",
            "@stylistic/key-spacing": "error",
        },
    },
    {
        // The command-line entry points and scripts are CommonJS run by Node as they are.
        files: ["bin/**/*.js", "scripts/**/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Tests read what the mock engine recorded and the policy pack received: untyped data.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
);
