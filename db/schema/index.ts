// Every drizzle table of the studio, one module per area.
export * from "./tracking";
export * from "./auth";
export * from "./datasets";
export * from "./registry";
export * from "./reviews";
export * from "./monitoring";
export * from "./documentation";
export * from "./notifications";
export * from "./labelling";
export * from "./deployments";
export * from "./jobs";
