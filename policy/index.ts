// The course-hubs policy pack. Only constructs the pack: the policies live in policies.ts, which
// tests import (constructing a PolicyPack starts a gRPC server).
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT, policies } from "./policies";

new PolicyPack("course-hubs", { enforcementLevel: PACK_ENFORCEMENT, policies });
