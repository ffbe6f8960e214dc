import type { Service } from './handler';
import { accessKeyHandlers } from './iam-access-keys';
import { loginProfileHandlers } from './iam-login-profiles';
import { managedPolicyHandlers } from './iam-managed-policies';
import { policyHandlers } from './iam-policies';
import { attachmentHandlers } from './iam-policy-attachments';
import { roleHandlers } from './iam-roles';
import { userHandlers } from './iam-users';

export const iam: Service = {
  namespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  version: '2010-05-08',
  handlers: {
    ...userHandlers,
    ...accessKeyHandlers,
    ...loginProfileHandlers,
    ...roleHandlers,
    ...policyHandlers,
    ...managedPolicyHandlers,
    ...attachmentHandlers,
  },
};
