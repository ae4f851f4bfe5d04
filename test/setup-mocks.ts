// Every test runs under the recording engine the offline plan uses, as stack "test".
import { installRecordingEngine } from "../plan/mock-engine";

installRecordingEngine("course-hubs", "test");

export * from "../plan/mock-engine";
