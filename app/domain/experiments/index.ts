// Incrementality experiments (geo split, period holdout): pure, from daily orders per shipping region.
export * from "./measure-experiment";
export * from "./regions";
export * from "./types";
export * from "./verdict";
export * from "./format";
