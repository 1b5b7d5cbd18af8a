// Loaded into every test worker before any app module reads the environment.
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "http://localhost:3000";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.LOG_LEVEL ??= "silent";
