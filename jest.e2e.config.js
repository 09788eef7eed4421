const base = require("./jest.config.js");

module.exports = {
  ...base,
  testMatch: ["<rootDir>/__tests__/e2e/**/*.test.ts"],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 120000,
};
