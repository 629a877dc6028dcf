module.exports = { ...require('../jest.preset.js'), displayName: '@ap/schemas', testMatch: ['<rootDir>/*.test.ts'] };
