// TypeORM decorators read design-time metadata through this polyfill.
require('reflect-metadata');
