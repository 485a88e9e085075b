/** Sent as `sdk` with every batch; kept in step with package.json by sdk-package.test.ts. */
export const SDK_NAME = 'mcptrail';
export const SDK_VERSION = '0.1.0';
