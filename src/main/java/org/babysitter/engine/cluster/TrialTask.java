package org.babysitter.engine.cluster;

import java.io.Serializable;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.topic.ITopic;

/**
 * The executor task that carries a {@link TrialJob} to a member as JSON and brings its {@link TrialReply} back as JSON.
 * The only class of ours that Hazelcast deserializes with Java serialization (its filter allows this one); the
 * member's {@link TrialHost} runs the job.
 */
final class TrialTask implements Callable<String>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;

    private final String job;
    private transient HazelcastInstance member;

    TrialTask(TrialJob job) {
        this.job = Wire.write(job);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public String call() {
        Object host = member == null ? null : member.getUserContext().get(TrialHost.KEY);
        if (!(host instanceof TrialHost h)) {
            return Wire.reply(new TrialReply.Refused("here", "this member runs no trials (it was started without data)"));
        }
        TrialJob parsed;
        try {
            parsed = Wire.read(job, TrialJob.class);
        } catch (RuntimeException e) {
            return Wire.reply(new TrialReply.Refused("here", "the trial does not read here (another version of Babysitter?): "
                    + e.getMessage()));
        }
        // the trial's epochs go to the owner as they end; the owner's "stop trial i" comes back on a second topic
        String start = parsed.start();
        int index = parsed.trial().index();
        UUID self = member.getCluster().getLocalMember().getUuid();
        ITopic<String> epochs = member.getTopic(ClusterNode.EPOCHS_TOPIC + start);
        ITopic<String> stops = member.getTopic(ClusterNode.STOPS_TOPIC + start);
        UUID listening = stops.addMessageListener(message -> {
            try {
                Wire.Stop stop = Wire.read(message.getMessageObject(), Wire.Stop.class);
                if (stop.start().equals(start) && stop.index() == index) {
                    h.stop(start, index, stop.reason());
                }
            } catch (RuntimeException e) {
                // not a stop of ours
            }
        });
        try {
            return Wire.reply(h.run(parsed, m -> epochs.publish(Wire.write(new Wire.Epoch(start, index, self, m)))));
        } finally {
            if (member.getLifecycleService().isRunning()) {
                stops.removeMessageListener(listening);
            }
        }
    }
}
