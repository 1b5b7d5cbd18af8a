/** Packages both server builds bundle instead of importing from node_modules (see vite.config.ts). */
export const DATE_PACKAGES = ["date-fns", "@date-fns/tz"];
