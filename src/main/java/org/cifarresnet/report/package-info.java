/**
 * What a training run leaves behind for people to read: the per-epoch history as {@code history.csv}
 * (the same columns Keras' CSVLogger writes, so existing notebooks and spreadsheets can read it) and the
 * loss/accuracy curves as a PNG, the figure the original author drew in Matlab to judge a run at a glance.
 *
 * <p>And the page a browser shows, {@code report.html}: {@link org.cifarresnet.report.HtmlReport} draws it
 * from a {@link org.cifarresnet.report.ReportData} (curves, learning rate, speed, confusion matrix, per-class
 * accuracy, example predictions, settings, progress), self-contained with its charts inline;
 * {@link org.cifarresnet.report.ReportListener} rewrites it after every epoch, the {@code report} command on
 * demand, and {@link org.cifarresnet.report.CompareReport} puts several runs on one page.
 *
 * <p>Every file here is written through {@link org.cifarresnet.util.AtomicFiles}, so a run that is killed
 * mid-write, or a viewer that reloads while training is running, never sees half a file. Problems the user
 * can fix (a missing or hand-edited history file) are reported as {@link org.cifarresnet.util.UserError}.
 */
package org.cifarresnet.report;
