export { KafkaTopicLog } from './kafka-log.js';
export { parseBrokerList, type KafkaTopicLogOptions } from './options.js';
