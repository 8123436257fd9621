import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationTopicProps {
  /** @default - no subscription: subscribe to the topic after deploy */
  readonly email?: string;
}

/** The SNS topic that alarm state changes and finished files are published to. */
export class NotificationTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: NotificationTopicProps = {}) {
    super(scope, id);
    // No SSE: S3 and CloudWatch can publish to an encrypted topic only with a customer-managed
    // key whose policy lets both services use it, and the messages hold object keys and alarm
    // states, never contacts.
    this.topic = new Topic(this, 'Topic', { enforceSSL: true });
    if (props.email !== undefined) {
      this.topic.addSubscription(new EmailSubscription(props.email));
    }
  }
}
