package tracing

import (
	"net/http"

	"fangkong/internal/platform/web"
)

// clusterList reads the day (?date=) and whether only the clusters first
// detected on it are wanted (?new=1).
func (h *handlers) clusterList(r *http.Request) (ClusterList, bool, error) {
	d, err := h.env.AsOf(r)
	if err != nil {
		return ClusterList{}, false, err
	}
	l, err := h.store.Clusters(r.Context(), principal(r), d)
	if err != nil {
		return l, false, err
	}
	onlyNew := r.URL.Query().Get("new") == "1"
	if onlyNew {
		kept := []Cluster{}
		for _, c := range l.Items {
			if c.New {
				kept = append(kept, c)
			}
		}
		l.Items = kept
	}
	return l, onlyNew, nil
}

// clusters lists the clusters in force on a day, new ones marked.
func (h *handlers) clusters(w http.ResponseWriter, r *http.Request) error {
	l, onlyNew, err := h.clusterList(r)
	if err != nil {
		return err
	}
	return h.env.Render.Page(w, r, http.StatusOK, "tracing_clusters", web.T(r, "tracing.clusters_title"),
		map[string]any{"List": l, "Date": l.Date, "OnlyNew": onlyNew})
}

func (h *handlers) apiClusters(w http.ResponseWriter, r *http.Request) error {
	l, _, err := h.clusterList(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, l)
}

// clusterDetail reads the cluster of the case in the path on ?date=.
func (h *handlers) clusterDetail(r *http.Request) (ClusterDetail, error) {
	id, err := web.PathID(r, "case")
	if err != nil {
		return ClusterDetail{}, err
	}
	d, err := h.env.AsOf(r)
	if err != nil {
		return ClusterDetail{}, err
	}
	return h.store.ClusterOf(r.Context(), principal(r), d, id)
}

// cluster is one cluster's records: its cases and the exposures linking them.
func (h *handlers) cluster(w http.ResponseWriter, r *http.Request) error {
	v, err := h.clusterDetail(r)
	if err != nil {
		return err
	}
	return h.env.Render.Page(w, r, http.StatusOK, "tracing_cluster", web.T(r, "tracing.cluster_title"), v)
}

func (h *handlers) apiCluster(w http.ResponseWriter, r *http.Request) error {
	v, err := h.clusterDetail(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, v)
}
