/** The tags every course resource carries, for the course the test specs describe. */
export const COURSE_TAGS = { course: "cs101", term: "fall-2026", owner: "course-it@example.edu", "managed-by": "course-hubs" };
