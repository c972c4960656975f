package io.runlog.gate;

/**
 * What a {@link ThrottleListener} hears when a throttling episode begins: the first throttled
 * submission of one data type to one experiment since that type was last admitted for it (or since
 * a minute without throttling).
 *
 * @param apiKey        the API key the submission came with
 * @param project       the experiment's project
 * @param experiment    the experiment's key
 * @param type          the throttled data type
 * @param atMillis      epoch ms of the throttled submission
 * @param retryAtMillis earliest epoch ms at which a retry can succeed ({@link Long#MAX_VALUE}: the
 *                      submission carries more units than the limit and never will)
 * @param units         units of that type the submission carried, none of them stored
 */
public record ThrottleNotice(String apiKey, String project, String experiment, DataType type, long atMillis,
                             long retryAtMillis, long units) {
}
