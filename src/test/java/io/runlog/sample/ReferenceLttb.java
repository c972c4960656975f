package io.runlog.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain LTTB, written line by line after the reference JavaScript (Steinarsson's
 * {@code flot-downsample}): point objects, {@code Math.floor}, a list of results. The production
 * {@link Lttb} must select exactly these indices. Only difference from the JavaScript, shared with
 * {@link Lttb} and documented there: a bucket whose every area is NaN selects its first point.
 */
final class ReferenceLttb {
    record Point(int index, double x, double y) {
    }

    private ReferenceLttb() {
    }

    static int[] indices(final double[] xs, final double[] ys, final int threshold) {
        final List<Point> data = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            data.add(new Point(i, xs[i], ys[i]));
        }
        final int dataLength = data.size();
        if (threshold >= dataLength) {
            final int[] all = new int[dataLength];
            for (int i = 0; i < dataLength; i++) {
                all[i] = i;
            }
            return all;
        }
        final List<Point> sampled = new ArrayList<>();
        final double every = (double) (dataLength - 2) / (threshold - 2);
        int a = 0;
        Point maxAreaPoint = null;
        int nextA = 0;
        sampled.add(data.get(a));
        for (int i = 0; i < threshold - 2; i++) {
            double avgX = 0;
            double avgY = 0;
            int avgRangeStart = (int) Math.floor((i + 1) * every) + 1;
            int avgRangeEnd = (int) Math.floor((i + 2) * every) + 1;
            avgRangeEnd = avgRangeEnd < dataLength ? avgRangeEnd : dataLength;
            final int avgRangeLength = avgRangeEnd - avgRangeStart;
            for (; avgRangeStart < avgRangeEnd; avgRangeStart++) {
                avgX += data.get(avgRangeStart).x();
                avgY += data.get(avgRangeStart).y();
            }
            avgX /= avgRangeLength;
            avgY /= avgRangeLength;
            int rangeOffs = (int) Math.floor((i + 0) * every) + 1;
            final int rangeTo = (int) Math.floor((i + 1) * every) + 1;
            final double pointAX = data.get(a).x();
            final double pointAY = data.get(a).y();
            double maxArea = -1;
            double area;
            maxAreaPoint = data.get(rangeOffs); // the documented NaN-area fallback: the bucket's first point
            nextA = rangeOffs;
            for (; rangeOffs < rangeTo; rangeOffs++) {
                area = Math.abs((pointAX - avgX) * (data.get(rangeOffs).y() - pointAY)
                    - (pointAX - data.get(rangeOffs).x()) * (avgY - pointAY)) * 0.5;
                if (area > maxArea) {
                    maxArea = area;
                    maxAreaPoint = data.get(rangeOffs);
                    nextA = rangeOffs;
                }
            }
            sampled.add(maxAreaPoint);
            a = nextA;
        }
        sampled.add(data.get(dataLength - 1));
        return sampled.stream().mapToInt(Point::index).toArray();
    }

    /**
     * MinMaxLTTB spelled out plainly: bins by index over the interior, min and max index of each
     * (lowest on ties, in index order), first and last point added, then the reference LTTB.
     */
    static int[] minMaxIndices(final double[] xs, final double[] ys, final int threshold, final int ratio) {
        final int n = xs.length;
        if (n / threshold <= ratio) {
            return indices(xs, ys, threshold);
        }
        final int bins = (int) Math.min((long) threshold * ratio / 2, n - 2);
        final List<Integer> kept = new ArrayList<>();
        kept.add(0);
        for (int b = 0; b < bins; b++) {
            final int start = 1 + (int) ((long) b * (n - 2) / bins);
            final int end = 1 + (int) ((long) (b + 1) * (n - 2) / bins);
            int minAt = start;
            int maxAt = start;
            for (int j = start; j < end; j++) {
                if (ys[j] < ys[minAt]) {
                    minAt = j;
                }
                if (ys[j] > ys[maxAt]) {
                    maxAt = j;
                }
            }
            kept.add(Math.min(minAt, maxAt));
            if (minAt != maxAt) {
                kept.add(Math.max(minAt, maxAt));
            }
        }
        kept.add(n - 1);
        final double[] kx = new double[kept.size()];
        final double[] ky = new double[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            kx[i] = xs[kept.get(i)];
            ky[i] = ys[kept.get(i)];
        }
        final int[] chosen = indices(kx, ky, threshold);
        final int[] result = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            result[i] = kept.get(chosen[i]);
        }
        return result;
    }
}
