mod generated;

use clamator_over_memory::MemoryBus;
use clamator_protocol::{Error, HandlerError, RpcError};
use generated::shop::{
    AddItemParams, AddItemResult, RestockedParams, ShopClient, ShopService, into_contract,
};

/// Application error codes live outside -32768..=-32000, which JSON-RPC and clamator reserve.
const OUT_OF_STOCK: i64 = 1001;

struct Shop;

impl ShopService for Shop {
    async fn add_item(&self, params: AddItemParams) -> Result<AddItemResult, HandlerError> {
        if params.sku == "gadget" {
            // An RpcError reaches the caller as it is; `?` on any other error is -32603.
            return Err(RpcError::new(OUT_OF_STOCK, format!("out of stock: {}", params.sku)).into());
        }
        Ok(AddItemResult { total: params.quantity })
    }

    async fn restocked(&self, params: RestockedParams) {
        println!("restocked {}", params.sku);
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let bus = MemoryBus::new();
    let server = bus.server();
    server.register_service(into_contract(Shop))?;
    server.start().await?;

    let client = bus.client();
    client.start().await?;
    let shop = ShopClient::new(&client);
    let added = shop
        .add_item(&AddItemParams { sku: "widget".into(), quantity: 2 })
        .await?;
    println!("added {} × widget", added.total);
    match shop.add_item(&AddItemParams { sku: "gadget".into(), quantity: 1 }).await {
        Err(Error::Rpc(e)) if e.code == OUT_OF_STOCK => println!("{}", e.message),
        other => panic!("expected out of stock, got {other:?}"),
    }
    shop.restocked(&RestockedParams { sku: "gadget".into() }).await?;

    client.stop().await?;
    server.stop().await?;
    Ok(())
}
