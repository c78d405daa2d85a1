// The background job engine (pg-boss): queues, workers, admin stats. See docs/operations.md.
export { QUEUES, WORK_QUEUES, groupKey, topUpKey, generateGroupJobSchema, topUpJobSchema, defaultQueueSettings, type TopUpJob, type GenerateGroupJob, type GenerateGroupInput, type QueueName, type QueueSettings } from "./queues";
export { startJobEngine, ensureQueues, jobsDatabaseFromEnv, queueSettingsFromEnv, JOBS_SCHEMA, type JobEngine, type JobsDatabase, type EngineOptions } from "./engine";
export { startWorker, enqueueGroups, enqueueTopUp, topUpStatus, type TopUpState, type JobHandlers, type JobContext, type Worker, type WorkerOptions } from "./worker";
export { jobStats, jobsPanelRows, retryDeadJob, type QueueStatsRow, type DeadLetter } from "./stats";
export { runWorkerProcess, startRunningWorker, startInProcessWorker, stopInProcessWorker, runsInProcessWorker, getJobEngine, enqueueingEngine, type RunningWorker, type WorkerProcessOptions } from "./process";
