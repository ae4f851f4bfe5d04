/** The tags every course resource carries, for the course the test specs describe. */
export const COURSE_TAGS = { course: "cs101", term: "fall-2026", owner: "course-it@example.edu", "managed-by": "course-hubs" };

/** AWS resource types the components create that take no tags of their own. */
export const UNTAGGABLE_AWS_TYPES = new Set([
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ec2/eipAssociation:EipAssociation",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:efs/mountTarget:MountTarget",
    "aws:autoscaling/tag:Tag",
    "aws:autoscaling/policy:Policy",
    "aws:autoscaling/schedule:Schedule",
    "aws:backup/selection:Selection",
    // Tagged through its `tags` list with propagateAtLaunch, checked on its own.
    "aws:autoscaling/group:Group",
]);
