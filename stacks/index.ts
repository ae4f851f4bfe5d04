// The course-hubs program: `pulumi up -s fall-cs101` deploys the course that stack's config describes.
import { deployCourse } from "./course";

export = deployCourse();
