// Token counting for estimates and counterfactuals (o200k_base via gpt-tokenizer). The counting lives
// in the simulator's folder so the simulator can bill with the very same function without importing
// app code; this module is the app-facing name for it.
export { countTokens, countChatPromptTokens, type PromptLike } from "./sim/tokens";
